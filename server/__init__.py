"""The Yingyan sync server: FastAPI over SQLAlchemy, HTTPS only."""
