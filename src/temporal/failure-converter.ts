/** Loaded by path inside the workflow sandbox too (DataConverter.failureConverterPath). */
import { DefaultFailureConverter } from '@temporalio/common';

// Failure messages and stack traces are plain text in history unless encoded by the codec.
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
