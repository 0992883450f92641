terraform {
  required_version = ">= 1.5.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.14, < 7.0"
    }
    # Firebase (project, web app, Hosting site) and google_project_service_identity (the Pub/Sub
    # service agent, main.tf) exist only in the beta provider.
    google-beta = {
      source  = "hashicorp/google-beta"
      version = ">= 6.14, < 7.0"
    }
  }

  # State lives in a GCS bucket deploy.sh creates on first use. A backend block cannot read
  # variables, so deploy.sh passes bucket and prefix with -backend-config.
  backend "gcs" {}
}

provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = {
    app = "chartgenius"
    env = "prod"
  }
}

provider "google-beta" {
  project = var.project_id
  region  = var.region

  default_labels = {
    app = "chartgenius"
    env = "prod"
  }
}
