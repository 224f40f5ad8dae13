//! Lively forums in the demo Rust course: an announcement from the
//! instructor, a study-group thread in the general forum, a question with
//! answers (one accepted by the instructor) in the first module's forum and
//! a discussion in the last module's, with replies from the demo classmates
//! (enrolled by the demo assignment). Everything goes through the forums'
//! services as the members themselves; a thread whose title is already in
//! its forum is left as it is, so a rerun never duplicates.

use lyceum_accounts::service::admin;
use lyceum_courses::service::read;
use lyceum_forums::{
    ForumError,
    model::{ForumId, ForumKind, PostId, ThreadKind},
    service::{
        forums::{self, CourseRef},
        posts::{self, NewReply},
        threads::{self, NewThread},
    },
};
use lyceum_platform::{AppError, AppResult, AppState, auth::Viewer, ids::CourseId, keyset::PageRequest};

use super::{DemoError, acting_as};

const COURSE: &str = "rust-from-scratch";

/// Who writes a post: the instructor or a classmate (by e-mail).
#[derive(Clone, Copy)]
enum By {
    Instructor,
    Learner(&'static str),
}

const ALAN: By = By::Learner("alan@demo.lyceum.localhost");
const KATHERINE: By = By::Learner("katherine@demo.lyceum.localhost");
const EDSGER: By = By::Learner("edsger@demo.lyceum.localhost");

/// Where a thread goes.
#[derive(Clone, Copy)]
enum In {
    Announcements,
    General,
    FirstModule,
    LastModule,
}

struct DemoThread {
    forum: In,
    by: By,
    title: &'static str,
    body: &'static str,
    question: bool,
    /// Replies in order; the one marked `true` is accepted (questions).
    replies: &'static [(By, &'static str, bool)],
}

const THREADS: [DemoThread; 4] = [
    DemoThread {
        forum: In::Announcements,
        by: By::Instructor,
        title: "Welcome to Rust from Scratch",
        body: "Welcome, everyone!\n\nA few things to know:\n\n- Ask questions in the forum of the module they are about: \
               your classmates often answer before I do.\n- The assignment *Write your own wc* is due in two weeks.\n\
               - Mark an answer **helpful** when it helped you.\n\nHappy hacking, Grace",
        question: false,
        replies: &[],
    },
    DemoThread {
        forum: In::General,
        by: ALAN,
        title: "Study group on Thursdays?",
        body: "Would anyone like to go through the exercises together on Thursday evenings? \
               We could take one module a week.",
        question: false,
        replies: &[
            (KATHERINE, "Count me in. Thursday at 7 pm (London) works for me.", false),
            (EDSGER, "Yes, as long as we read the code aloud before we run it.", false),
            (By::Instructor, "Lovely idea. Post your notes here afterwards so the others can follow.", false),
        ],
    },
    DemoThread {
        forum: In::FirstModule,
        by: KATHERINE,
        title: "Why can I not use s1 after let s2 = s1?",
        body: "In the ownership lesson:\n\n```rust\nlet s1 = String::from(\"hello\");\nlet s2 = s1;\n\
               println!(\"{s1}\");\n```\n\ndoes not compile. With integers the same code works. Why the difference?",
        question: true,
        replies: &[
            (
                ALAN,
                "A `String` owns memory on the heap, so `let s2 = s1;` *moves* it: only one owner may free it. \
                 Integers are `Copy`, so they are copied instead. Use `s1.clone()` if you really need two strings.",
                true,
            ),
            (EDSGER, "And the compiler tells you exactly that: read the whole error, the note names the move.", false),
        ],
    },
    DemoThread {
        forum: In::LastModule,
        by: EDSGER,
        title: "Files that are not valid UTF-8",
        body: "For the wc assignment: is it better to replace invalid bytes, or to refuse the file? \
               I lean towards refusing: a count of something you could not read is a guess.",
        question: false,
        replies: &[
            (ALAN, "I replaced them with `from_utf8_lossy`: the byte count stays exact either way.", false),
            (
                By::Instructor,
                "Both are fine, as long as you say which you chose and why. That is the point of the exercise.",
                false,
            ),
        ],
    },
];

pub async fn seed(state: &AppState, instructor: &Viewer) -> Result<(), DemoError> {
    load(state, instructor).await.map_err(|source| DemoError::Course { slug: COURSE.to_string(), source })
}

async fn load(state: &AppState, instructor: &Viewer) -> AppResult<()> {
    let course = {
        let mut conn = state.db.pool().acquire().await?;
        read::course_by_slug(&mut conn, COURSE).await?
    };
    let Some(course) = course else { return Ok(()) };
    let course_id = CourseId::from(&course.id);
    let listed = forums::of_course(state, instructor, CourseRef::Id(&course_id)).await.map_err(AppError::from)?;
    let modules: Vec<_> = listed.forums.iter().filter(|f| f.view.kind() == ForumKind::Module).collect();
    let forum_of = |place: In| -> Option<ForumId> {
        let found = match place {
            In::Announcements => listed.forums.iter().find(|f| f.view.kind() == ForumKind::Announcements),
            In::General => listed.forums.iter().find(|f| f.view.kind() == ForumKind::General),
            In::FirstModule => modules.first().copied(),
            In::LastModule => modules.last().copied(),
        };
        found.map(|f| ForumId::from(&f.view.forum.id))
    };
    for demo in &THREADS {
        let Some(forum) = forum_of(demo.forum) else { continue };
        let page =
            forums::page(state, instructor, &forum, &PageRequest::sized(100, None)).await.map_err(AppError::from)?;
        let titles = page.pinned.iter().chain(page.threads.items.iter()).map(|t| t.thread.title.as_str());
        if titles.into_iter().any(|t| t == demo.title) {
            continue;
        }
        write(state, instructor, &forum, demo).await.map_err(AppError::from)?;
    }
    Ok(())
}

async fn write(state: &AppState, instructor: &Viewer, forum: &ForumId, demo: &DemoThread) -> Result<(), ForumError> {
    let author = person(state, instructor, demo.by).await?;
    let input = NewThread {
        title: demo.title.to_string(),
        body: demo.body.to_string(),
        kind: if demo.question { ThreadKind::Question } else { ThreadKind::Discussion },
        important: matches!(demo.forum, In::Announcements),
        ..Default::default()
    };
    let thread = threads::start(state, &author, forum, &input).await?;
    let thread_id = lyceum_forums::model::ThreadId::from(&thread.id);
    for (by, body, accepted) in demo.replies {
        let who = person(state, instructor, *by).await?;
        let reply = NewReply { body: body.to_string(), ..Default::default() };
        let post = posts::reply(state, &who, &thread_id, &reply).await?;
        if *accepted {
            posts::accept(state, instructor, &PostId::from(&post.id), true).await?;
        }
    }
    Ok(())
}

/// The viewer writing as `by` (a classmate the demo assignment made).
async fn person(state: &AppState, instructor: &Viewer, by: By) -> Result<Viewer, ForumError> {
    match by {
        By::Instructor => Ok(instructor.clone()),
        By::Learner(email) => {
            let user = admin::by_email(state, email).await?.ok_or(ForumError::NotFound)?;
            Ok(acting_as(&user))
        }
    }
}
