"""The files a run writes into reports/ and outbox/, named <kind>_<stamp>.<extension>: one list
for the runner, which writes them, and for --retention-days, which deletes them and nothing else
(they hold personal data; a user's own file there is not ours)."""

CUSTOMERS_CSV = "cleaned_customers"  # .csv
ANOMALIES_CSV = "transaction_anomalies"  # .csv
REPORT = "dq_report"  # .json, its page .html, its e-mail .eml
LOAD_REPORT = "load_report"  # .json
ALERT = "alert"  # .json for the webhook, .eml
KINDS = (CUSTOMERS_CSV, ANOMALIES_CSV, REPORT, LOAD_REPORT, ALERT)
EXTENSIONS = ("csv", "json", "html", "eml")
