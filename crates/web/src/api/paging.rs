//! The one paging scheme of the API (ADR 0016): `?page=1&per_page=50` (per_page at most 100), a body
//! `{items, page, per_page, total}` and an RFC 8288 `Link` header with `first`, `prev`, `next` and `last`.

use super::ApiError;
use axum::Json;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use domain::opendata::Paging;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Paging parameters of every list endpoint.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page number, from 1 (default 1).
    pub page: Option<String>,
    /// Items per page, 1–100 (default 50).
    pub per_page: Option<String>,
}

impl PageParams {
    /// The checked paging, or the 400 response naming the bad parameters.
    pub fn paging(&self) -> Result<Paging, Box<Response>> {
        Paging::parse(self.page.as_deref(), self.per_page.as_deref())
            .map_err(|e| Box::new(ApiError::validation(&e)))
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paged<T: ToSchema> {
    pub items: Vec<T>,
    /// This page's number (from 1).
    pub page: i64,
    pub per_page: i64,
    /// Number of items in all pages.
    pub total: i64,
}

/// Respond with one page and its `Link` header. `path` is the request path; `extra` the other query
/// parameters (already encoded, without `page`/`per_page`), kept in every link.
pub fn respond<T: Serialize + ToSchema>(
    items: Vec<T>,
    p: Paging,
    total: i64,
    path: &str,
    extra: &str,
) -> Response {
    let link = link_header(p, total, path, extra);
    let body = Paged {
        items,
        page: p.page,
        per_page: p.per_page,
        total,
    };
    let mut r = Json(body).into_response();
    if let Ok(v) = HeaderValue::from_str(&link) {
        r.headers_mut().insert(header::LINK, v);
    }
    r
}

/// Page `items` already filtered in memory (lists of one city are small) and respond.
pub fn respond_slice<T: Serialize + ToSchema>(
    items: Vec<T>,
    p: Paging,
    path: &str,
    extra: &str,
) -> Response {
    let total = items.len() as i64;
    respond(p.slice(items), p, total, path, extra)
}

fn link_header(p: Paging, total: i64, path: &str, extra: &str) -> String {
    let url = |page: i64| {
        let sep = if extra.is_empty() { "" } else { "&" };
        format!("<{path}?{extra}{sep}page={page}&per_page={}>", p.per_page)
    };
    let last = p.last_page(total);
    let mut links = vec![format!("{}; rel=\"first\"", url(1))];
    if p.page > 1 {
        links.push(format!("{}; rel=\"prev\"", url((p.page - 1).min(last))));
    }
    if p.has_next(total) {
        links.push(format!("{}; rel=\"next\"", url(p.page + 1)));
    }
    links.push(format!("{}; rel=\"last\"", url(last)));
    links.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_name_first_prev_next_last() {
        let p = Paging {
            page: 2,
            per_page: 10,
        };
        assert_eq!(
            link_header(p, 35, "/api/v1/x", "a=b"),
            "</api/v1/x?a=b&page=1&per_page=10>; rel=\"first\", \
             </api/v1/x?a=b&page=1&per_page=10>; rel=\"prev\", \
             </api/v1/x?a=b&page=3&per_page=10>; rel=\"next\", \
             </api/v1/x?a=b&page=4&per_page=10>; rel=\"last\""
        );
        let only = link_header(Paging::default(), 0, "/y", "");
        assert_eq!(
            only,
            "</y?page=1&per_page=50>; rel=\"first\", </y?page=1&per_page=50>; rel=\"last\""
        );
    }
}
