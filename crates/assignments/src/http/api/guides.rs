//! A course's marking guides (staff): `/api/v1/courses/{id}/marking-guides`, `/api/v1/marking-guides/{id}`.

super::definition_routes::definition_api! {
    kind: crate::service::guides::Guide, dto: GuideDto, list: GuideList, body: GuideBody,
    paths: ("/api/v1/courses/{id}/marking-guides", "/api/v1/marking-guides/{id}"),
    handlers: (list_guides, create_guide, get_guide, update_guide, delete_guide),
    docs: (
        "Adds a marking guide, written one criterion per line (`422` on `criteria` names the line).",
        "Replaces a marking guide's title and text; grades already given keep their points.",
        "Deletes a marking guide no assignment grades with (`409 guide-in-use` otherwise).",
    ),
}
