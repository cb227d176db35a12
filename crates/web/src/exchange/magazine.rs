//! The magazine (`/netzwerk/magazin`): articles by the network admin in Markdown, rendered sanitised, with
//! images (alt text required, checked by their bytes) served only to those who may read the article.
//! Drafts are seen by network admins only; the Atom feed carries public articles.

use super::{date, require_writer};
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::{FormView, render};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::exchange::{ArticleInput, PER_PAGE, image_snippet, may_see, may_write, min_visibility};
use domain::validation::FieldErrors;
use domain::visibility::Visibility;
use pulldown_cmark::HeadingLevel;
use serde::Deserialize;
use store::exchange::{Article, Image};

fn path(slug: &str) -> String {
    format!("/netzwerk/magazin/{slug}")
}

/// An article the visitor may read: published and visible, or any article for the network admin.
async fn readable(state: &AppState, ctx: &RequestCtx, slug: &str) -> Result<Article, AppError> {
    let a = store::exchange::by_slug(&state.db, slug).await?;
    if may_write(&ctx.actor) || (a.is_published() && may_see(&ctx.actor, a.visibility())) {
        Ok(a)
    } else {
        Err(AppError::NotFound)
    }
}

#[derive(Template)]
#[template(path = "exchange/magazine.html")]
struct ListPage {
    ctx: RequestCtx,
    articles: Vec<Article>,
    drafts: Vec<Article>,
    can_write: bool,
    page: i64,
    pages: i64,
}

impl ListPage {
    pub fn date(&self, a: &Article) -> String {
        a.published_at.map(date).unwrap_or_default()
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    seite: String,
}

pub async fn list(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let page = q.seite.trim().parse::<i64>().unwrap_or(1).clamp(1, 10_000);
    let (articles, total) = store::exchange::published(
        &state.db,
        min_visibility(&ctx.actor),
        PER_PAGE,
        (page - 1) * PER_PAGE,
    )
    .await?;
    let pages = (total + PER_PAGE - 1) / PER_PAGE;
    if page > pages.max(1) {
        return Err(AppError::NotFound);
    }
    let can_write = may_write(&ctx.actor);
    let drafts = if can_write {
        store::exchange::drafts(&state.db).await?
    } else {
        vec![]
    };
    Ok(render(&ListPage {
        ctx,
        articles,
        drafts,
        can_write,
        page,
        pages: pages.max(1),
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "exchange/article.html")]
struct ArticlePage {
    ctx: RequestCtx,
    a: Article,
    body_html: String,
    published: String,
    can_write: bool,
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let a = readable(&state, &ctx, &slug).await?;
    let body_html = crate::markdown::to_safe_html_below(&a.body_md, HeadingLevel::H1);
    let published = a.published_at.map(date).unwrap_or_default();
    let can_write = may_write(&ctx.actor);
    Ok(render(&ArticlePage {
        ctx,
        a,
        body_html,
        published,
        can_write,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "exchange/article_form.html")]
struct FormPage {
    ctx: RequestCtx,
    form: FormView,
    /// `None` for a new article.
    article: Option<Article>,
    images: Vec<Image>,
    /// The image upload form's values and errors.
    upload: FormView,
}

impl FormPage {
    pub fn snippet(&self, i: &Image) -> String {
        image_snippet(&i.alt_text, i.id)
    }
}

fn input_form(i: &ArticleInput) -> FormView {
    FormView::new()
        .with("title", &i.title)
        .with("teaser", &i.teaser)
        .with("body_md", &i.body_md)
        .with("visibility", &i.visibility)
}

pub async fn new_form(Ctx(ctx): Ctx) -> Result<Response, AppError> {
    require_writer(&ctx)?;
    let form = FormView::new().with("visibility", "oeffentlich");
    Ok(render(&FormPage {
        ctx,
        form,
        article: None,
        images: vec![],
        upload: FormView::new(),
    })?
    .into_response())
}

pub async fn create(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(input): Form<ArticleInput>,
) -> Result<Response, AppError> {
    let user_id = require_writer(&ctx)?;
    let draft = match input.parse() {
        Ok(d) => d,
        Err(errs) => {
            let form = input_form(&input).with_errors(&ctx, &errs);
            let page = FormPage {
                ctx,
                form,
                article: None,
                images: vec![],
                upload: FormView::new(),
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    let (id, slug) = store::exchange::create_article(&state.db, &draft, user_id).await?;
    tracing::info!(article_id = id, by = user_id, "article drafted");
    Ok(Redirect::to(&format!("{}/bearbeiten", path(&slug))).into_response())
}

async fn edit_page(
    state: &AppState,
    ctx: RequestCtx,
    a: Article,
    form: Option<FormView>,
    upload: FormView,
) -> Result<FormPage, AppError> {
    let images = store::exchange::images(&state.db, a.id).await?;
    let form = form.unwrap_or_else(|| {
        FormView::new()
            .with("title", &a.title)
            .with("teaser", &a.teaser)
            .with("body_md", &a.body_md)
            .with("visibility", &a.visibility)
    });
    Ok(FormPage {
        ctx,
        form,
        article: Some(a),
        images,
        upload,
    })
}

pub async fn edit_form(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    require_writer(&ctx)?;
    let a = store::exchange::by_slug(&state.db, &slug).await?;
    let page = edit_page(&state, ctx, a, None, FormView::new()).await?;
    Ok(render(&page)?.into_response())
}

pub async fn update(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Form(input): Form<ArticleInput>,
) -> Result<Response, AppError> {
    let user_id = require_writer(&ctx)?;
    let a = store::exchange::by_slug(&state.db, &slug).await?;
    match input.parse() {
        Ok(d) => {
            store::exchange::update_article(&state.db, a.id, &d).await?;
            tracing::info!(article_id = a.id, by = user_id, "article changed");
            Ok(Redirect::to(&path(&slug)).into_response())
        }
        Err(errs) => {
            let form = input_form(&input).with_errors(&ctx, &errs);
            let page = edit_page(&state, ctx, a, Some(form), FormView::new()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
    }
}

async fn set_published(
    state: &AppState,
    ctx: &RequestCtx,
    slug: &str,
    published: bool,
) -> Result<Response, AppError> {
    let user_id = require_writer(ctx)?;
    let a = store::exchange::by_slug(&state.db, slug).await?;
    store::exchange::set_published(&state.db, a.id, published).await?;
    tracing::info!(
        article_id = a.id,
        by = user_id,
        published,
        "article publication"
    );
    Ok(Redirect::to(&path(slug)).into_response())
}

pub async fn publish(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    set_published(&state, &ctx, &slug, true).await
}

pub async fn unpublish(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    set_published(&state, &ctx, &slug, false).await
}

/// The upload form as read from the multipart body.
async fn read_upload(mut mp: Multipart) -> Result<(Vec<u8>, String), &'static str> {
    let (mut bytes, mut alt) = (Vec::new(), String::new());
    while let Some(field) = mp.next_field().await.map_err(|_| "err-upload-broken")? {
        match field.name().unwrap_or_default() {
            "image" => {
                bytes = field
                    .bytes()
                    .await
                    .map_err(|_| "err-photo-too-large")?
                    .to_vec()
            }
            "image_alt" => alt = field.text().await.map_err(|_| "err-upload-broken")?,
            _ => {}
        }
    }
    Ok((bytes, alt))
}

/// `POST /netzwerk/magazin/{slug}/bilder?_csrf=…` (multipart): one image with its alt text.
pub async fn upload(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let user_id = require_writer(&ctx)?;
    let a = store::exchange::by_slug(&state.db, &slug).await?;
    let mut errors = FieldErrors::new();
    let (bytes, alt) = read_upload(mp).await.unwrap_or_else(|code| {
        errors.push("image", code);
        Default::default()
    });
    if errors.is_empty() {
        if bytes.is_empty() {
            errors.push("image", "err-image-missing");
        } else {
            match domain::progress::check_photo(&bytes, &alt) {
                Ok((content_type, alt)) => {
                    let id = store::exchange::add_image(
                        &state.db,
                        a.id,
                        content_type,
                        &alt,
                        &bytes,
                        user_id,
                    )
                    .await?;
                    tracing::info!(article_id = a.id, image_id = id, "article image added");
                    return Ok(
                        Redirect::to(&format!("{}/bearbeiten#bilder", path(&slug))).into_response()
                    );
                }
                Err("err-photo-alt") => errors.push("image_alt", "err-photo-alt"),
                Err(code) => errors.push("image", code),
            }
        }
    }
    let upload = FormView::new()
        .with("image_alt", &alt)
        .with_errors(&ctx, &errors);
    let page = edit_page(&state, ctx, a, None, upload).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}

/// `GET /netzwerk/magazin/bilder/{id}`: an article image, for those who may read the article; served with
/// headers that keep it an image (like progress photos, ADR 0013).
pub async fn image(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (content_type, data, slug) = store::exchange::image(&state.db, id).await?;
    let a = readable(&state, &ctx, &slug).await?;
    let cache = if a.is_published() && a.visibility() == Visibility::Oeffentlich {
        "public, max-age=86400"
    } else {
        "private, no-cache"
    };
    crate::security::headers::uploaded_image(&content_type, data, cache)
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn rfc3339(secs: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// `GET /netzwerk/magazin.atom`: the latest public articles. Feed readers come without a session, so the
/// feed is the same for everyone.
pub async fn atom(State(state): State<AppState>) -> Result<Response, AppError> {
    let (articles, _) =
        store::exchange::published(&state.db, Visibility::Oeffentlich, 20, 0).await?;
    let base = state.config.base_url.trim_end_matches('/');
    let updated = articles.iter().map(|a| a.updated_at).max().unwrap_or(0);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"de\">\n");
    out.push_str("<title>Magazin – Smart City Werkstatt</title>\n");
    out.push_str(&format!("<id>{base}/netzwerk/magazin</id>\n"));
    out.push_str(&format!(
        "<link rel=\"alternate\" href=\"{base}/netzwerk/magazin\"/>\n<link rel=\"self\" href=\"{base}/netzwerk/magazin.atom\"/>\n"
    ));
    out.push_str(&format!("<updated>{}</updated>\n", rfc3339(updated)));
    for a in &articles {
        let url = format!("{base}{}", path(&a.slug));
        let author = if a.author.is_empty() {
            "Netzwerk"
        } else {
            &a.author
        };
        out.push_str(&format!(
            "<entry><title>{}</title><id>{}</id><link rel=\"alternate\" href=\"{}\"/>\
             <published>{}</published><updated>{}</updated><author><name>{}</name></author>\
             <summary>{}</summary></entry>\n",
            xml(&a.title),
            xml(&url),
            xml(&url),
            rfc3339(a.published_at.unwrap_or(a.created_at)),
            rfc3339(a.updated_at),
            xml(author),
            xml(&a.teaser),
        ));
    }
    out.push_str("</feed>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        out,
    )
        .into_response())
}
