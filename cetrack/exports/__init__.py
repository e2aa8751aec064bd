"""Exports: calendar, audit summary PDF, CE log tables and the audit packet.

Pure functions from plain records (gathered by `cetrack.services.reports`) to bytes; nothing here
touches the database or the file store.
"""
