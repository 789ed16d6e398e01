// Tests are quiet by default: the structured log is discarded unless LOG_LEVEL is set
// (`LOG_LEVEL=warn npm test` shows warnings and errors, `LOG_LEVEL=debug` everything).
// Tests that check the log capture it themselves (test/support/log-capture.ts).
import { setLogDestination, setLogLevel } from '../../src/platform/log';

if (!process.env.LOG_LEVEL) {
  setLogLevel('warn');
  setLogDestination({ write: () => undefined });
}
