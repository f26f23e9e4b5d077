# A stand-in component: the demo is about secrets, not infrastructure.
variable "name" { type = string }
variable "concurrency" { type = number }
variable "queue" { type = string }
output "queue" { value = var.queue }
