// Tests are quiet by default: only warnings and errors reach the structured log (stdout).
// `LOG_LEVEL=debug npm test` shows everything.
process.env.LOG_LEVEL ??= 'warn';
