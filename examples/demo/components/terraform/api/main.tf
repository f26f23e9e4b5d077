# A stand-in component: the demo is about secrets, not infrastructure.
variable "name" { type = string }
variable "replicas" { type = number }
output "name" { value = var.name }
