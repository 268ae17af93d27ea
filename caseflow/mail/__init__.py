"""Incoming e-mail: reading raw messages into plain data for the intake pipeline.

``parsing.parse_message`` turns the stored raw bytes into a ``ParsedMessage`` (headers,
text, sanitised HTML, every attachment, classification, forward and case-number
suggestions). It never touches the database or Flask and never raises. Its helpers:
``numbers`` (case numbers, subject prefixes), ``forwards`` (forwarded header blocks and
their dates), ``decoding`` (charsets), ``parts`` (single MIME parts), ``htmlsafe`` (HTML to
text, sanitising) and ``tnef`` (winmail.dat).
"""
