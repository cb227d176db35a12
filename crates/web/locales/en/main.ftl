site-name = Smart City Werkstatt
skip-to-content = Skip to content
nav-main = Main navigation
nav-municipalities = Municipalities
nav-admin-municipalities = Manage municipalities
nav-admin-users = Users and roles
nav-members-of = Members { $city }
nav-logout = Log out
nav-login = Log in
nav-legal = Legal
nav-imprint = Imprint
nav-privacy = Privacy
nav-accessibility = Accessibility
nav-api = Open interface (API)
network-default-name = network

form-errors-title = Please correct the following
form-error-prefix = Error:
select-choose = Please choose
select-none = – none –
action-save = Save
action-cancel = Cancel
action-edit-named = Edit { $name }
table-actions = Actions

field-email = E-mail address
field-password = Password
field-password_confirm = Repeat password
field-current_password = Current password
field-display_name = Name
field-slug = Short name in the address
field-name = Name
field-ags = Official municipality key (AGS)
field-population = Population
field-state = Federal state
field-size_class = Size class
field-title = Title
field-body_md = Content
field-grant = Role
field-municipality = Municipality
field-role = Role
field-size_class_filter = Size class
field-limit = Page size
field-offset = Offset

hint-slug = Lower-case letters, digits and hyphens only, e.g. "bad-berleburg".
hint-ags = Eight digits, e.g. 05958004 for Arnsberg. The first two digits name the federal state.
hint-population = A whole number, e.g. 73456 or 73,456.
hint-size-class = The size class follows from the population: rural municipality below 5,000, small town below 20,000, medium-sized town below 100,000, city from 100,000.
hint-password = At least 10 characters. A sentence of several words is secure and easy to remember.
hint-display-name = How others see you on the platform.
hint-markdown = Markdown: # heading, **bold**, *italic*, - list, [link text](https://…).
hint-municipality-for-city-roles = Only needed for coordination, editors and participants.

error-badrequest-title = Invalid request
error-badrequest-text = The data sent could not be read. Nothing was saved. Please reload the form and try again.
error-notfound-title = Page not found
error-notfound-text = This page does not exist or no longer exists. Perhaps the address has changed.
error-forbidden-title = No access
error-forbidden-text = You lack the rights for this page. If needed, contact your municipality's coordinator.
error-csrf-title = Form expired
error-csrf-text = For security reasons the form could not be accepted. Nothing was saved. Please reload the page and send it again.
error-unavailable-title = Temporarily unavailable
error-unavailable-text = The database is not answering right now. Please try again in a few minutes. Nothing was saved.
error-internal-title = An error occurred
error-internal-text = Your request could not be processed. The error has been logged. Please try again later.
error-back-home = Back to the start page

home-title = Smart City Werkstatt
home-page-title = Start page
home-intro = The platform of the { $network } for the municipalities' Smart City process: from the first strategy workshop through their own Smart City definition, fields of action and measures to the implementation concept.
home-municipalities = Participating municipalities
home-no-municipalities = No municipalities yet.
home-population = { $n } inhabitants

size-landgemeinde = Rural municipality
size-kleinstadt = Small town
size-mittelstadt = Medium-sized town
size-grossstadt = City

demo-content-note = Demo content: this municipality and its data are for demonstration.
city-manage-members = Manage members
city-section-process = Process and phases
city-section-definition = Smart City definition
city-section-fields = Fields of action
city-section-measures = Measures
city-section-participation = Participation
city-section-empty = Nothing to see here yet.

legal-updated = Last changed: { $date }
legal-edit = Edit page

login-title = Log in
login-submit = Log in
login-forgot = Forgot your password?
notice-password-reset = Your password has been changed. Please log in with the new password.
notice-logged-out = You have logged out.

forgot-title = Forgot password
forgot-intro = Enter the e-mail address of your account. We will send you a link to set a new password. The link is valid for one hour.
forgot-submit = Request link
forgot-sent = If an account exists for this address, we have sent an e-mail with a link. Please check your inbox.

reset-title = Set a new password
reset-submit = Save password
reset-invalid-title = Link invalid or expired
reset-invalid-text = This link has already been used or has expired. Please request a new one.
reset-request-new = Request a new link

invite-title = Accept invitation
invite-intro = You have been invited as: { $what }.
invite-email = Your account will be linked to the address { $email }.
invite-submit = Accept invitation
invite-invalid-title = Invitation invalid or expired
invite-invalid-text = This invitation has already been accepted or has expired. Ask the person who invited you for a new one.

account-title = My account
account-network-role = Role in the network
account-memberships = Memberships
account-no-memberships = You are not a member of any municipality yet.
account-change-password = Change password
notice-welcome = Welcome! Your account is set up.

role-admin = Network admin
role-steering = Steering group
role-coordinator = Municipal coordination
role-editor = Editor
role-participant = Participant
grant-city = { $role } in { $city }

admin-municipalities-title = Manage municipalities
admin-municipalities-caption = All municipalities of the network
admin-municipality-new = Create municipality
admin-municipality-edit = Edit municipality
notice-municipality-created = The municipality has been created.
notice-saved = The changes have been saved.
admin-page-edit = Edit page
admin-pages = Legal pages
admin-users-title = Users and roles
admin-invite = Invite a person
admin-invite-submit = Send invitation
admin-users-list = All accounts
admin-user-no-password = Has not set a password yet.
admin-withdraw-role = Withdraw role "{ $role }"
admin-withdraw-membership = End membership in { $city }
admin-assign-role-for = Assign role to { $name }
notice-invited = The invitation has been sent.

members-title = Members: { $city }
members-caption = Members and their roles
members-role-of = Role of { $name }
members-remove = Remove { $name }
members-pending = Open invitations
members-valid-until = valid until { $date }
members-invite = Invite a member

mail-reset-subject = Smart City Werkstatt: set a new password
mail-reset-body =
    Hello { $name },

    a new password was requested for your Smart City Werkstatt account.
    Set it with this link (valid for one hour, usable once):

    { $link }

    If you did not request this, ignore this e-mail; your password stays unchanged.
mail-invite-subject = Invitation to Smart City Werkstatt
mail-invite-body =
    Hello,

    { $inviter } invites you to Smart City Werkstatt: { $what }.
    Accept the invitation and set your password with this link (valid for 14 days):

    { $link }

    If you did not expect this invitation, ignore this e-mail.

err-required = Please fill in.
err-too-long = The text is too long.
err-control-chars = Contains control characters that are not allowed.
err-slug-format = Only lower-case letters a–z, digits and single hyphens (2 to 60 characters), not at the start or end.
err-slug-taken = This short name is already taken.
err-ags-format = The municipality key must consist of exactly 8 digits.
err-ags-state-unknown = The first two digits of the municipality key name no federal state (01 to 16).
err-ags-state-mismatch = The municipality key does not belong to the chosen federal state.
err-ags-taken = A municipality with this key already exists.
err-state-unknown = Please choose a federal state from the list.
err-population-format = Please enter a whole number.
err-population-range = The population must be between 1 and 20,000,000.
err-email-format = Please enter a valid e-mail address, e.g. name@city.de.
err-password-short = The password must be at least 10 characters long.
err-password-mismatch = The two passwords do not match.
err-password-wrong = The current password is not correct.
err-role-unknown = Please choose a role from the list.
err-municipality-required = Please choose a municipality for this role.
err-municipality-unknown = This municipality does not exist.
err-login-failed = E-mail address or password is not correct.
err-login-throttled = Too many failed log-in attempts. Please try again in { $minutes } minutes.
err-last-admin = The network needs at least one person with the network admin role.
err-last-coordinator = The municipality needs at least one person in municipal coordination.
err-range = The value is outside the allowed range.
err-integer = Please give a whole number.
err-size-class-unknown = Unknown size class.

# --- Strategy core -------------------------------------------------------------------------------
yes = yes
no = no
quick-win = Quick win
demo-badge = Demo
action-remove-named = Remove { $name }
action-save-named = Save { $name }
council-link = council information system
export-pdf = Project sheet as PDF
stakeholder = Stakeholder
nav-network = Network overview
nav-taxonomies = Taxonomies
nav-templates = Templates

visibility-intern = municipality only
visibility-netzwerk = network
visibility-oeffentlich = public
priority-hoch = high
priority-mittel = medium
priority-niedrig = low
horizon-kurz = short term
horizon-mittel = medium term
horizon-lang = long term
phase-offen = open
phase-aktiv = active
phase-abgeschlossen = completed
def-status-entwurf = draft
def-status-abgestimmt = agreed
def-status-beschlossen = adopted
kind-organisation = Organisation
kind-person = Person
sort-title = Sort by
sort-titel = Title
sort-status = Status
sort-prioritaet = Priority
sort-beginn = Start
sort-geaendert = last changed
taxonomy-field_of_action = Fields of action
taxonomy-sdg = Sustainable Development Goals (SDGs)
taxonomy-charta = Smart City Charter – guidelines
taxonomy-stakeholder_group = Stakeholder groups

city-nav = Sections of { $city }
city-current-phase = Current phase: { $name }
city-phase-of = phase { $n } of
city-process-not-started = The process has not started yet.
city-to-process = Process and schedule
city-all-measures = See all { $n } measures

process-title = Process and schedule
process-table-caption = Phases of the Smart City process with planned and actual periods
process-phase = Phase
process-planned = planned
process-actual = actual
process-edit-phase = Edit phase "{ $name }"
process-milestones = Milestones
process-template-add = Add phase to the template
process-template = Process template of the network
timeline-title = Schedule of { $city } over two years
timeline-desc = Bar chart: per phase one bar for the planned period and, once started, a thin bar for the actual period. The table below the chart holds the same data.
timeline-legend = Wide bars: planned; thin dark bars: actual; vertical red line: today. The table holds all data as text.
milestone-done-on = done on { $date }
milestone-mark-done = Mark "{ $name }" as done
milestone-of-measure = measure

network-title = Network overview
network-caption = Where every municipality stands in the Smart City process
network-current-phase = Current phase
network-phases-done = Phases completed
network-no-process = not started yet

definition-title = Smart City definition
definition-edit = Edit definition
definition-save = Save new version
definition-empty = There is no version of the Smart City definition yet.
definition-decided = Adopted by the council on
definition-status-change = Change status
definition-versions = Versions
definition-compare = Compare
definition-compare-from = Version
definition-compare-to = with version
definition-diff-title = Comparison: version { $a }
definition-diff-legend = Inserted words are underlined, removed ones struck through.
definition-comments = Comments
definition-no-comments = No comments yet.
definition-comment-submit = Send comment
hint-decision = Only for "adopted": date and reference of the council decision, optionally the link to the council information system.
hint-version-note = Briefly, what changed (optional).

conflict-title = Changed in the meantime
conflict-measure-text = While you were editing, someone else saved this measure. Your input is unchanged in the form. Check the differences and save again to keep your version.
conflict-definition-text = While you were editing, version { $n } was saved. Your text is not lost: it is in the form below. Take over what you want to keep and save again.
conflict-caption = Differences between the saved version and your input
conflict-theirs = Saved version
conflict-yours = Your input
conflict-yours-below = Your text:

fields-title = Fields of action and goals
fields-none = No fields of action have been selected yet.
fields-choose = Choose fields of action
fields-choose-hint = Choose your municipality's fields of action with priority and rationale.
fields-select = Select "{ $name }"
fields-update = Update "{ $name }"
fields-deselect = Deselect "{ $name }"
goals-add = Add goal
goals-of = Goals in the field of action { $field }

measures-title = Measures
measures-caption = Measures of { $city }
measures-count = { $n } measures
measures-none = No measures found.
measure-new = New measure
measure-edit = Edit project sheet
measure-from-source = Take over from a template or another municipality
measure-copy = Take over "{ $name }"
notice-measure-created = The measure has been created.
notice-measure-copied = The measure has been taken over. Its origin is linked.
filter-title = Filter measures
filter-all = all
filter-apply = Apply
status-change = Change status
status-change-to = New status

sheet-version = Version { $n }
sheet-origin = Taken over from:
sheet-origin-template = Created from a template of the network.
sheet-section-basics = Basics
sheet-section-classification = Classification
sheet-section-need = Initial situation and impact
sheet-section-responsibility = Responsibility
sheet-section-time-money = Time, costs and funding
sheet-section-decision = Risks and decision
sheet-section-more = Further details
sheet-no-goals = First create goals under "Fields of action".
sheet-partners = Partners
sheet-add-partner = Add partner
sheet-raci = Responsibilities (RACI)
sheet-raci-caption = Responsibility matrix: R responsible, A accountable, C consulted, I informed
sheet-set-raci = Set responsibility
sheet-milestones = Milestones
sheet-add-milestone = Add milestone
sheet-kpis = Key figures (KPIs)
sheet-add-kpi = Add key figure
sheet-dependencies = Dependencies
sheet-depends-on = Depends on
sheet-needed-by = Prerequisite for
sheet-add-dependency = Add dependency
raci-r = responsible (R)
raci-a = accountable (A)
raci-c = consulted (C)
raci-i = informed (I)
kpi-baseline = Baseline
kpi-target = Target
kpi-source = Source
kpi-measurements-of = Measurements: { $name }
kpi-add-measurement = Save measurement for "{ $name }"
history-title = Revision history
history-field = Field
history-before = before
history-after = after
history-changes-of = Changes in version { $n }

stakeholders-title = Stakeholders
stakeholders-none = No stakeholders recorded yet.
stakeholders-caption = Organisations and persons
stakeholders-add = Add stakeholder

templates-from-measure = Publish as template
templates-title = Templates
templates-none = There are no templates yet.
templates-admin-intro = Templates come from measures: publish a network measure as a template. Published templates can be taken over by every municipality.
templates-state = State
templates-published = published
templates-hidden = withdrawn
templates-publish = Publish "{ $name }"
templates-withdraw = Withdraw "{ $name }"
template-use = Use "{ $name }"
network-measures-title = Measures of other municipalities
network-measures-none = Other municipalities have not shared measures with the network yet.
network-measures-caption = Measures shared with the network

taxonomies-title = Taxonomies and process template
taxonomy-add = Add entry
hint-color = Colour as #rrggbb, e.g. #1f5fa8.
hint-visibility = Municipality only: members of the municipality. Network: everyone working in the network. Public: everyone.
hint-one-per-line = One entry per line.
hint-impact-output = Output: what is created?
hint-impact-outcome = Outcome: what changes for the target groups?
hint-impact-impact = Impact: what long-term contribution to urban development?
hint-lead-unit = Organisational unit, e.g. "Urban development department".
hint-euros = Whole euros, e.g. 250,000.
hint-euros-year = Whole euros per year.
hint-fte = Full-time equivalents, e.g. 1.5.
hint-percent = Percent, 0 to 100.
hint-link = Full address with https://
hint-geojson = GeoJSON, coordinates as longitude, latitude – e.g. { "{" }"type": "Point", "coordinates": [8.06, 51.40]{ "}" }

field-visibility = Visibility
field-priority = Priority
field-status = Status
field-short_description = Short description
field-primary_field_id = Field of action
field-further_field_ids = Further fields of action
field-goal_ids = Goals
field-tag_ids = SDGs and Charter guidelines
field-initial_situation = Initial situation and need
field-target_groups = Target groups
field-impact_output = Impact: output
field-impact_outcome = Impact: outcome
field-impact_impact = Impact: long-term impact
field-lead_unit = Lead (organisational unit)
field-lead_stakeholder_id = Lead (person/stakeholder)
field-start_date = Start
field-end_date = End
field-time_horizon = Time horizon
field-quick_win = Quick win (quickly visible success)
field-investment_costs = Investment costs
field-operating_costs = Operating costs per year
field-staff_need_fte = Staff need (FTE)
field-funding_own_share_pct = Own share (%)
field-funding_programme = Funding programme
field-funding_rate_pct = Funding rate (%)
field-risks = Risks
field-council_decision_date = Council decision on
field-council_decision_link = Link to the council decision
field-participation_form = Form of participation
field-location_geojson = Location (GeoJSON)
field-data_protection = Data protection
field-licence = Licence
field-repository = Source code repository
field-transferability = Transferability to other municipalities
field-contact = Contact
field-partners = Partners
field-raci = Responsibilities
field-dependencies = Dependencies
field-kpis = Key figures
field-measurements = Measurements
field-milestones = Milestones
field-partner = Partner
field-partner_role = Role of the partner
field-depends_on = Dependency
field-kpi_name = Key figure
field-kpi_unit = Unit
field-kpi_baseline = Baseline
field-kpi_target = Target
field-kpi_method = Method
field-kpi_source = Data source
field-kpi_interval = Measuring interval
field-measured_on = Date
field-value = Value
field-milestone_title = Milestone
field-milestone_due = due on
field-comment = Comment
field-note = Change note
field-decision_date = Date of the council decision
field-decision_reference = Reference / item number
field-decision_link = Link to the council information system
field-planned_start = planned start
field-planned_end = planned end
field-actual_start = actual start
field-actual_end = actual end
field-field_id = Field of action
field-goal_text = Goal
field-indicator = Indicator
field-unit = Unit
field-baseline = Baseline
field-target_value = Target value
field-target_year = Target year
field-rationale = Rationale
field-kind = Kind
field-group_id = Group
field-organisation_id = belongs to organisation
field-taxonomy = Taxonomy
field-term_key = Key
field-description = Description
field-color = Colour
field-active = active
field-planned_months = Duration in months
field-phase = Phase

err-choice-unknown = Please choose an entry from the list.
err-color-format = Please give a colour as #rrggbb.
err-date-format = Please give a date like 01.03.2026.
err-date-invalid = This date does not exist.
err-end-before-start = The end is before the start.
err-number-format = Please give a number, e.g. 1,250 or 1.5.
err-number-negative = The value must not be negative.
err-number-range = The value is too large.
err-percent-range = Please give a percentage between 0 and 100.
err-year-format = Please give a year between 2000 and 2100.
err-too-many = These are too many entries.
err-link-format = Please give a full address with https://.
err-geojson = Please give valid GeoJSON (e.g. a Point with coordinates).
err-visibility-unknown = Please choose a visibility from the list.
err-primary-field-repeated = Do not choose the main field of action again as a further one.
err-measure-conflict = Someone else has changed the measure in the meantime. Please check the differences and save again.
err-definition-conflict = Someone else has saved a new version in the meantime. Your text is kept; please check and save again.
err-status-changed = Someone else has changed the status in the meantime. Please reload the page.
err-transition-unknown = This status change is not part of the workflow.
err-transition-role = Only the municipal coordination may make this status change.
err-dependency-cycle = This dependency would create a cycle: the chosen measure already depends (directly or via others) on this one.
err-field-not-selected = Please select the field of action first.
err-key-taken = This key is already taken.
err-months-range = Please give a duration between 1 and 36 months.
err-phase-status-unknown = Please choose a status from the list.

# --- Workshops ------------------------------------------------------------------------------------
workshops-title = Workshops
workshops-upcoming = Upcoming workshops
workshops-past = Past workshops
workshops-none = No workshops are planned.
workshops-feed = Subscribe to the calendar (iCalendar)
workshop-new = Plan a workshop
workshop-online = online
workshop-seats = { $n } seats left
workshop-when = When
workshop-ics = Add to your calendar (.ics)
workshop-capacity-state = { $n } registered
workshop-waiting = { $n } on the waiting list
workshop-unlimited = no limit
workshop-registration = Registration
workshop-register = Register
workshop-cancel = Cancel registration
workshop-show-name = My name may be mentioned in the protocol.
workshop-login-to-register = Log in to register
workshop-agenda = Agenda
workshop-minutes = { $n } minutes
workshop-add-agenda = Add agenda item
workshop-attendance = Registrations and attendance
workshop-attendance-caption = Registered people, waiting list and attendance
workshop-no-registrations = No registrations yet.
workshop-attended = present
workshop-mark-present = Mark { $name } as present
workshop-mark-absent = Mark { $name } as absent
registration-angemeldet = You are registered.
registration-warteliste = You are on the waiting list. If a seat becomes free, you move up automatically.
registration-abgemeldet = cancelled
hint-berlin-time = Local time (Berlin).
hint-place = Address and room; leave empty if the workshop is online only.
hint-capacity = Maximum number of participants; empty for no limit.
field-format_key = Format
field-date = Date
field-start_time = Start
field-end_time = End
field-place = Place
field-online_link = Online link
field-capacity = Seats
field-purpose = Purpose
field-agenda_title = Agenda item
field-agenda_minutes = Duration in minutes
city-section-workshops = Workshops
err-time-format = Please give a time like 17:30.
err-place-or-link = Please give a place or an online link.
err-capacity-range = Please give a number between 1 and 10,000 or leave it empty.
err-minutes-range = Please give a duration between 1 and 600 minutes.
workshop-invite = Invite
workshop-invite-members = Members of the municipality
workshop-invite-submit = Send invitations with calendar entry
workshop-invited = { $n } invitations are being sent.
hint-emails = Further e-mail addresses (e.g. of stakeholders), one per line.
field-emails = Further e-mail addresses
err-email-list = One of the addresses is invalid; please check (one address per line).
err-no-recipients = Please choose at least one person or give an address.
mail-workshop-subject = Invitation: { $title }
mail-workshop-body =
    Hello,

    the Smart City coordination of { $city } invites you to the workshop "{ $title }"
    on { $when }, place: { $place }.

    The appointment is attached for your calendar. Registration and agenda:
    { $link }
