variable "project_id" {
  description = "Project the function runs in."
  type        = string
}

variable "project_number" {
  description = "Numeric id of the project (secret references use it; the API stores the number)."
  type        = string
}

variable "region" {
  description = "Region of the function and of its Cloud Run service."
  type        = string
}

variable "name" {
  description = "The function's name: its folder functions/<name>/ and the Python entry point."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{1,17}$", var.name))
    error_message = "A function name is lower_snake_case, at most 18 characters (its service account id is chartgenius-<name>)."
  }
}

variable "description" {
  description = "What the function does."
  type        = string
}

variable "source_archive" {
  description = "Local path of the zip deploy.sh built for this function."
  type        = string

  validation {
    condition     = fileexists(var.source_archive)
    error_message = "The source archive does not exist: build it with ./deploy.sh (or ./deploy.sh --build-only)."
  }
}

variable "sources_bucket" {
  description = "Bucket that holds the source archives."
  type        = string
}

variable "builder_service_account_id" {
  description = "Service account Cloud Build uses to build the function (projects/<p>/serviceAccounts/<email>)."
  type        = string
}

variable "docker_repository" {
  description = "Artifact Registry repository for the built images (projects/<p>/locations/<r>/repositories/<name>)."
  type        = string
}

variable "public" {
  description = "True for the HTTP functions called from the internet (they authenticate requests themselves); false keeps the function internal and invokable only by Pub/Sub push."
  type        = bool
}

variable "memory" {
  description = "Memory per instance, e.g. 256Mi, 512Mi, 1Gi."
  type        = string
}

variable "cpu" {
  description = "vCPUs per instance; null lets Cloud Functions derive it from memory. More than one concurrent request needs at least 1."
  type        = string
  default     = null
}

variable "concurrency" {
  description = "Requests one instance serves at once."
  type        = number
  default     = 1
}

variable "timeout_seconds" {
  description = "Longest a request may run; Pub/Sub waits this long for an event function's answer."
  type        = number

  validation {
    condition     = var.timeout_seconds >= 10 && var.timeout_seconds <= 600
    error_message = "timeout_seconds must be 10..600 (a push subscription's acknowledgement deadline is at most 600 s)."
  }
}

variable "min_instances" {
  description = "Instances kept warm."
  type        = number
  default     = 0
}

variable "max_instances" {
  description = "Upper bound on instances."
  type        = number
}

variable "environment" {
  description = "Plain environment variables (never secrets)."
  type        = map(string)
  default     = {}
}

variable "secrets" {
  description = "Secret name => { id = secret id, mounted = whether it has a value and is handed to the function as an environment variable of the same name }. The function may read every listed secret."
  type = map(object({
    id      = string
    mounted = bool
  }))
  default = {}
}

variable "project_roles" {
  description = "Project-level roles of the function's service account (the caller says why each is needed)."
  type        = list(string)
  default     = []
}

variable "data_bucket" {
  description = "Bucket of prompts and charts."
  type        = string
}

variable "data_bucket_role" {
  description = "Role on the data bucket, or null for none."
  type        = string
  default     = null
}

variable "publish_topics" {
  description = "Topic name => topic id this function may publish to."
  type        = map(string)
  default     = {}
}

variable "sign_own_tokens" {
  description = "Whether the function signs tokens as its own service account (Firebase custom tokens use IAM signBlob)."
  type        = bool
  default     = false
}

variable "triggers" {
  description = "Topic name => { topic_id, dead_letter_topic_id }: one push subscription per topic this function subscribes to."
  type = map(object({
    topic_id             = string
    dead_letter_topic_id = string
  }))
  default = {}
}

variable "max_delivery_attempts" {
  description = "Deliveries before a message goes to the dead-letter topic (from the topic registry)."
  type        = number
  default     = 5
}

variable "minimum_backoff" {
  description = "First redelivery delay after a failed delivery."
  type        = string
  default     = "10s"
}

variable "maximum_backoff" {
  description = "Longest redelivery delay (the backoff grows exponentially up to it)."
  type        = string
  default     = "600s"
}

variable "message_retention" {
  description = "How long an undelivered message is kept."
  type        = string
  default     = "86400s"
}

variable "push_service_account_email" {
  description = "Identity Pub/Sub signs each push's OIDC token as; event functions grant it run.invoker."
  type        = string
}

variable "pubsub_service_agent" {
  description = "IAM member of the Pub/Sub service agent (it acknowledges dead-lettered messages)."
  type        = string
}

variable "labels" {
  description = "Labels on the function and its subscriptions."
  type        = map(string)
  default     = {}
}
