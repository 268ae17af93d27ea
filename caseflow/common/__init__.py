"""Helpers shared by every domain: permissions, audit, errors, time, paging."""
