//! Network administration: municipalities, accounts and roles, legal pages.

pub mod municipalities;
pub mod pages;
pub mod users;
