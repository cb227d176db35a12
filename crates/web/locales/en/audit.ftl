# Audit log (ADR 0018)
nav-audit = Audit log
nav-audit-of = Audit log { $city }
audit-title = Audit log
audit-title-city = Audit log { $city }
audit-intro = Every change to administration, strategy, workshops, participation, implementation and the network: who, when, what. Participants' contributions and votes are not listed here.
audit-filter = Filter the log
audit-all-cities = all municipalities
audit-person-hint = Part of the name or e-mail address
audit-text-hint = Part of the action or the path
audit-count = { $count ->
    [one] 1 entry
   *[other] { $count } entries
}
audit-csv = Download as CSV (same filter)
audit-caption = Log entries, newest first
audit-col-when = Time
audit-col-who = Person
audit-col-action = Action
audit-col-request = Request
audit-col-outcome = Outcome
field-kommune = Municipality
field-person = Person
field-von_datum = From (date)
field-bis_datum = Until (date)
err-audit-period-order = The end of the period is before its start.
err-audit-text-long = Please enter at most 200 characters.
