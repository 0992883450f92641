# The web app on Firebase Hosting (decision 0075): Firebase on the project, a web app for the
# Firebase JS SDK's config, Firebase Auth (Identity Platform) for the custom tokens the API
# mints, and a Hosting site. deploy.sh builds web/ and releases it to the site with
# scripts/web_hosting.py, which writes /config.js from the outputs below and sets the caching
# headers (hashed /assets/** immutable for a year; index.html and /config.js no-cache) and
# the Content-Security-Policy. These resources exist only in the google-beta provider.

locals {
  web_site_id = coalesce(var.web_site_id, "${var.project_id}-web")
  # The site's own origins: the API answers cross-origin requests from them (CORS).
  web_origins = ["https://${local.web_site_id}.web.app", "https://${local.web_site_id}.firebaseapp.com"]
}

# Adds Firebase to the Google Cloud project (once; it cannot be removed again).
resource "google_firebase_project" "this" {
  provider = google-beta
  project  = var.project_id

  depends_on = [google_project_service.api]
}

# Firebase Authentication for signInWithCustomToken; no sign-in providers are enabled, users
# arrive only with the API's custom tokens.
resource "google_identity_platform_config" "auth" {
  project = var.project_id

  depends_on = [google_firebase_project.this]
}

resource "google_firebase_web_app" "web" {
  provider        = google-beta
  project         = var.project_id
  display_name    = "ChartGenius web"
  deletion_policy = "ABANDON" # terraform destroy leaves the app (and its API key) serving

  depends_on = [google_firebase_project.this]
}

data "google_firebase_web_app_config" "web" {
  provider   = google-beta
  project    = var.project_id
  web_app_id = google_firebase_web_app.web.app_id
}

resource "google_firebase_hosting_site" "web" {
  provider = google-beta
  project  = var.project_id
  site_id  = local.web_site_id
  app_id   = google_firebase_web_app.web.app_id
}
