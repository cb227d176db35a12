//! Account inputs: e-mail addresses, passwords and display names.

use crate::validation::{FieldErrors, required_text};

/// A syntactically plausible e-mail address, stored in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err("err-required");
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err("err-email-format");
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if s.len() > 254
            || local.is_empty()
            || local.len() > 64
            || local.contains('@')
            || !domain_ok
            || s.chars().any(|c| {
                c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | ',' | ';')
            })
        {
            return Err("err-email-format");
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Minimum password length (BSI recommends length over composition rules).
pub const PASSWORD_MIN_CHARS: usize = 10;
const PASSWORD_MAX_CHARS: usize = 256;

/// A new password: long enough, not absurdly long, confirmed.
pub fn parse_new_password(password: &str, confirm: &str) -> Result<String, &'static str> {
    let n = password.chars().count();
    if n == 0 {
        Err("err-required")
    } else if n < PASSWORD_MIN_CHARS {
        Err("err-password-short")
    } else if n > PASSWORD_MAX_CHARS {
        Err("err-too-long")
    } else if password != confirm {
        Err("err-password-mismatch")
    } else {
        Ok(password.to_string())
    }
}

/// Display name shown to others.
pub fn parse_display_name(raw: &str) -> Result<String, &'static str> {
    required_text(raw, 80)
}

/// Input for accepting an invitation or setting a password.
pub struct NewAccountInput<'a> {
    pub display_name: &'a str,
    pub password: &'a str,
    pub password_confirm: &'a str,
}

impl NewAccountInput<'_> {
    pub fn parse(&self) -> Result<(String, String), FieldErrors> {
        let mut errs = FieldErrors::new();
        let name = errs.take("display_name", parse_display_name(self.display_name));
        let pw = errs.take(
            "password",
            parse_new_password(self.password, self.password_confirm),
        );
        errs.finish(|| Some((name?, pw?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(
            Email::parse(" Anna@Arnsberg.DE ").unwrap().as_str(),
            "anna@arnsberg.de"
        );
        for bad in [
            "anna", "anna@", "@x.de", "a b@x.de", "a@x", "a@.de", "a@x..de", "<a@x.de>",
        ] {
            assert_eq!(Email::parse(bad), Err("err-email-format"), "{bad}");
        }
    }

    #[test]
    fn password_rules() {
        assert_eq!(
            parse_new_password("kurz", "kurz"),
            Err("err-password-short")
        );
        assert_eq!(
            parse_new_password("lang-genug-1", "lang-genug-2"),
            Err("err-password-mismatch")
        );
        assert!(parse_new_password("lang-genug-1", "lang-genug-1").is_ok());
    }
}
