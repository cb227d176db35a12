//! Request protection: CSRF checks on unsafe methods and security headers on every response.

pub mod csrf;
pub mod headers;
