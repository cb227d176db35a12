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
