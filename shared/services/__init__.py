"""Use cases as plain functions taking ports; the API, the bot and the functions call them."""
