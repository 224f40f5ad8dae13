//! The five routes of a kind of grading definition — its list and create
//! under a course, its read, replace and delete by id — written once: the
//! kinds (rubrics, marking guides, scales) differ only in their paths,
//! names, DTOs and sentences. Each kind's file calls [`definition_api!`].

/// Expands to the five handlers, each with its OpenAPI path.
macro_rules! definition_api {
    (
        kind: $kind:ty, dto: $dto:ident, list: $list:ident, body: $body:ident,
        paths: ($collection:tt, $one:tt),
        handlers: ($list_fn:ident, $create_fn:ident, $get_fn:ident, $update_fn:ident, $delete_fn:ident),
        docs: ($create_doc:tt, $update_doc:tt, $delete_doc:tt $(,)?) $(,)?
    ) => {
        use axum::{
            Json,
            extract::{Path, State},
            http::StatusCode,
        };
        use lyceum_platform::{
            AppResult, AppState,
            auth::CurrentUser,
            http::{errors::Problem, extract::ApiJson},
            ids::CourseId,
        };

        use super::definitions::{$body, $dto, $list};
        use crate::service::definitions as d;

        #[utoipa::path(get, path = $collection, security(("bearer" = []), ("session" = [])),
            tag = "assignments", params(("id" = String, Path)),
            responses((status = 200, body = $list), (status = 401, body = Problem), (status = 404, body = Problem)))]
        pub async fn $list_fn(
            State(state): State<AppState>,
            CurrentUser(v): CurrentUser,
            Path(id): Path<CourseId>,
        ) -> AppResult<Json<$list>> {
            let (_, items) = d::list::<$kind>(&state, &v, &id).await?;
            Ok(Json($list { items: items.iter().map($dto::from).collect() }))
        }

        #[doc = $create_doc]
        #[utoipa::path(post, path = $collection, security(("bearer" = []), ("session" = [])),
            tag = "assignments", params(("id" = String, Path)), request_body = $body,
            responses((status = 201, body = $dto), (status = 401, body = Problem), (status = 404, body = Problem),
                (status = 422, body = Problem)))]
        pub async fn $create_fn(
            State(state): State<AppState>,
            CurrentUser(v): CurrentUser,
            Path(id): Path<CourseId>,
            ApiJson(body): ApiJson<$body>,
        ) -> AppResult<(StatusCode, Json<$dto>)> {
            let made = d::create::<$kind>(&state, &v, &id, &body.title, &body.text).await?;
            Ok((StatusCode::CREATED, Json($dto::from(&made))))
        }

        #[utoipa::path(get, path = $one, security(("bearer" = []), ("session" = [])),
            tag = "assignments", params(("id" = String, Path)),
            responses((status = 200, body = $dto), (status = 401, body = Problem), (status = 404, body = Problem)))]
        pub async fn $get_fn(
            State(state): State<AppState>,
            CurrentUser(v): CurrentUser,
            Path(id): Path<String>,
        ) -> AppResult<Json<$dto>> {
            Ok(Json($dto::from(&d::get::<$kind>(&state, &v, &id).await?)))
        }

        #[doc = $update_doc]
        #[utoipa::path(put, path = $one, security(("bearer" = []), ("session" = [])),
            tag = "assignments", params(("id" = String, Path)), request_body = $body,
            responses((status = 200, body = $dto), (status = 401, body = Problem), (status = 404, body = Problem),
                (status = 422, body = Problem)))]
        pub async fn $update_fn(
            State(state): State<AppState>,
            CurrentUser(v): CurrentUser,
            Path(id): Path<String>,
            ApiJson(body): ApiJson<$body>,
        ) -> AppResult<Json<$dto>> {
            Ok(Json($dto::from(&d::update::<$kind>(&state, &v, &id, &body.title, &body.text).await?)))
        }

        #[doc = $delete_doc]
        #[utoipa::path(delete, path = $one, security(("bearer" = []), ("session" = [])),
            tag = "assignments", params(("id" = String, Path)),
            responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem),
                (status = 409, body = Problem)))]
        pub async fn $delete_fn(
            State(state): State<AppState>,
            CurrentUser(v): CurrentUser,
            Path(id): Path<String>,
        ) -> AppResult<StatusCode> {
            d::delete::<$kind>(&state, &v, &id).await?;
            Ok(StatusCode::NO_CONTENT)
        }
    };
}

pub(crate) use definition_api;
