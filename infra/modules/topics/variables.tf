variable "project_id" {
  description = "Project that owns the topics."
  type        = string
}

variable "registry" {
  description = "The decoded topic registry: jsondecode(file(\".../shared/topics.json\"))."
  type        = any

  validation {
    condition = (
      can(keys(var.registry.topics)) &&
      can(tostring(var.registry.dead_letter_suffix)) &&
      can(tonumber(var.registry.max_delivery_attempts))
    )
    error_message = "The registry needs topics, dead_letter_suffix and max_delivery_attempts (see shared/topics.json)."
  }
}

variable "pubsub_service_agent" {
  description = "IAM member of the project's Pub/Sub service agent (it forwards dead letters)."
  type        = string
}

variable "dead_letter_retention" {
  description = "How long an unread dead letter is kept."
  type        = string
  default     = "604800s"
}

variable "labels" {
  description = "Labels on every topic and subscription."
  type        = map(string)
  default     = {}
}
