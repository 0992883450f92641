output "database" {
  description = "Name of the database."
  value       = google_firestore_database.main.name
}

output "rules_release" {
  description = "The rules release serving the database."
  value       = google_firebaserules_release.firestore.name
}
