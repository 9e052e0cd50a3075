"""The platform: what every room stands on. Logins and roles (`models`), the access
door (`access`: which rows), the rules helpers (`rules`: may this user), the email
outbox, personal data export and erasure, spreadsheet-safe CSV and the shared web
helpers. It imports no room at import time (an import contract in CI holds it to
that); other rooms' models are named by label."""
