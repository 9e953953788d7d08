"""Languages: which one a request is served in, the switch on every page, date formatting per
language, and the message catalogues (``podium/translations/<lang>/LC_MESSAGES/messages.po``).

Flask-Babel does the work; this package decides the language (:func:`locales.select_locale`)
and keeps the catalogues in step with the source (:mod:`podium.i18n.catalogues`).
"""
