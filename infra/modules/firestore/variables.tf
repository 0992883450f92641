variable "project_id" {
  description = "Project of the database."
  type        = string
}

variable "location" {
  description = "Firestore location: a region (europe-west1) or a multi-region (eur3, nam5). Fixed once created."
  type        = string
}

variable "rules_file" {
  description = "Path of the Firestore security rules (infra/firestore.rules)."
  type        = string
}
