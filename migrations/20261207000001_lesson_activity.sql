-- courses: a lesson that another module's activity completes. 'quiz' for a
-- quiz (issue 13): the learner opens the quiz from the lesson, and the lesson
-- is completed by the quiz's rule (submitted, or passed), never by hand.
-- NULL for the lessons a learner marks complete.
ALTER TABLE lessons ADD COLUMN activity TEXT;
