//! A course's rubrics (staff): `/api/v1/courses/{id}/rubrics`, `/api/v1/rubrics/{id}`.

super::definition_routes::definition_api! {
    kind: crate::service::rubrics::Rubric, dto: RubricDto, list: RubricList, body: RubricBody,
    paths: ("/api/v1/courses/{id}/rubrics", "/api/v1/rubrics/{id}"),
    handlers: (list_rubrics, create_rubric, get_rubric, update_rubric, delete_rubric),
    docs: (
        "Adds a rubric, written one criterion per line (`422` on `criteria` names the line).",
        "Replaces a rubric's title and criteria; grades already given keep their points.",
        "Deletes a rubric no assignment grades with (`409 rubric-in-use` otherwise).",
    ),
}
