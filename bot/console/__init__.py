"""The web console at ``/``: one static page (HTML, CSS and JavaScript modules, no build step, nothing from a
CDN) served by the API's process, that talks to the HTTP API with the access key a person types in.

Admins upload files or folders and remove documents; everyone asks questions and browses the 督办台账.
"""
