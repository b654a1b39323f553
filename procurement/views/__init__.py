"""The web pages (server-rendered templates, htmx where a part of a page updates in place).

Every page requires sign-in. Objects are read through ``permissions.visible_*`` (another organisation's
participation is a 404), and every change calls a service; its domain error is shown on the page.
"""
