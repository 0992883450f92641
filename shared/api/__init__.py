"""The HTTP API (served by the ``api`` function): routes present the services' results."""
