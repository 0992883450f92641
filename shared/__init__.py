"""ChartGenius shared package: models, message contracts, ports, adapters and services."""
