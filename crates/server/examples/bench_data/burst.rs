//! The exam burst's quiz and tokens (`BENCH_QUIZ`).

use std::fmt::Write as _;

use lyceum_courses::service::read;
use lyceum_platform::{AppState, auth::Viewer, db, ids::CourseId, ids::ModuleId, secrets};
use lyceum_quizzes::{
    model::{Filter, Format},
    quiz::settings::{Settings, Slot, Source},
    service::{
        questions,
        quizzes::{self, QuizInput},
        transfer,
    },
};

/// Twenty questions of the kinds that grade themselves.
fn bank() -> String {
    let mut gift = String::new();
    for n in 0..6 {
        let _ = writeln!(gift, "::Choice {n}::Which is number {n}? {{={n} ~{} ~{} ~{}}}\n", n + 1, n + 2, n + 3);
    }
    for n in 0..4 {
        let _ = writeln!(gift, "::True {n}::{n} is less than {}. {{T}}\n", n + 1);
    }
    for n in 0..4 {
        let _ = writeln!(gift, "::Word {n}::Type the word number{n}. {{=number{n} =Number{n}}}\n");
    }
    for n in 0..3 {
        let _ = writeln!(gift, "::Sum {n}::What is {n} + {n}? {{#{}:0}}\n", 2 * n);
    }
    for n in 0..3 {
        let _ = writeln!(gift, "::Pairs {n}::Match. {{=a{n} -> A{n} =b{n} -> B{n} =c{n} -> C{n}}}\n");
    }
    gift
}

pub async fn quiz(state: &AppState, viewer: &Viewer, course_id: &str) -> anyhow::Result<String> {
    let course = CourseId::from(course_id);
    let transfer::Started::Done(report) = transfer::import(state, viewer, &course, Format::Gift, &bank()).await? else {
        anyhow::bail!("20 questions are imported in the request, not in the background");
    };
    anyhow::ensure!(report.imported == 20, "imported {} of 20: {:?}", report.imported, report.problems);
    let page = lyceum_platform::keyset::PageRequest::sized(100, None);
    let mut rows = questions::list(state, viewer, &course, &Filter::default(), &page).await?.items.items;
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    let slots =
        rows.iter().map(|q| Slot { source: Source::Question { question_id: q.id.clone() }, mark: 1.0 }).collect();
    let module = {
        let mut conn = state.db.pool().acquire().await?;
        read::modules(&mut conn, &course).await?.remove(0)
    };
    let settings = Settings { time_limit_minutes: Some(30), ..Settings::default() };
    let input = QuizInput { settings, slots };
    let quiz = quizzes::create(state, viewer, &course, &ModuleId::from(&module.id), "Exam", "", input)
        .await
        .map_err(|e| anyhow::anyhow!("{}", lyceum_platform::AppError::from(e)))?;
    Ok(quiz.id)
}

/// A browser session per learner, as sign-in stores them (the secret's hash).
pub async fn sessions(state: &AppState, learners: &[String]) -> anyhow::Result<Vec<String>> {
    let now = db::now_ms();
    let expires = now + 7 * 24 * 3600 * 1000;
    let mut secrets_out = Vec::with_capacity(learners.len());
    let mut tx = state.db.begin().await?;
    for batch in learners.chunks(500) {
        let mut sql = String::from(
            "INSERT INTO sessions (id_hash, public_id, user_id, created_at, expires_at, user_agent, ip) VALUES ",
        );
        for (i, user) in batch.iter().enumerate() {
            let secret = secrets::random_token();
            let (hash, public) = (secrets::token_hash(&secret), db::new_id());
            let sep = if i == 0 { "" } else { "," };
            write!(sql, "{sep}('{hash}', '{public}', '{user}', {now}, {expires}, 'bench', '127.0.0.1')")?;
            secrets_out.push(secret);
        }
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(secrets_out)
}
