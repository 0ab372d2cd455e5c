"""Admin API for the content catalog: `/v1/admin/videos`, `/v1/admin/quiz-questions`,
`/v1/admin/task-types` (list, get, create, update, delete), correct answers included."""
