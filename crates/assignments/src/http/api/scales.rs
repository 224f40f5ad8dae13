//! A course's scales (staff): `/api/v1/courses/{id}/scales`, `/api/v1/scales/{id}`.

super::definition_routes::definition_api! {
    kind: crate::service::scales::Scale, dto: ScaleDto, list: ScaleList, body: ScaleBody,
    paths: ("/api/v1/courses/{id}/scales", "/api/v1/scales/{id}"),
    handlers: (list_scales, create_scale, get_scale, update_scale, delete_scale),
    docs: (
        "Adds a scale, its levels lowest first (`422` on `levels`).",
        "Replaces a scale's title and text; grades already given keep their points.",
        "Deletes a scale no assignment grades with (`409 scale-in-use` otherwise).",
    ),
}
