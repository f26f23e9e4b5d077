// The parse floor of the scale figures: read every YAML file of the workspace once and parse it with `yaml`,
// nothing else. `describe stacks` and `list` are measured as multiples of this process's CPU (by run.mjs's probe).
// It is the config bench's floor (one floor for both benches); the JSON it prints is not read here.
import '../config/floor.mjs';
