"""Phishing against exchange users: message analysis (``analysis``), its parts (``urls``,
``headers``, ``attachments``, ``language``, ``brands``, ``score``), campaigns grouped by
shared infrastructure (``campaigns``) and indicator export (``indicators``)."""
