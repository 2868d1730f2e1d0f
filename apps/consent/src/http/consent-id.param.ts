import { Param, type PipeTransform } from '@nestjs/common';
import { ProblemError } from '@silta/platform';
import { ConsentIdSchema } from './schemas';

class ConsentIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const parsed = ConsentIdSchema.safeParse(value);
    if (parsed.success) return parsed.data;
    const message = parsed.error.issues.map((issue) => issue.message).join('; ');
    throw new ProblemError(400, 'invalid_request', `consentId: ${message}`, { errors: [{ field: 'consentId', message }] });
  }
}

/** The `consentId` path parameter, refused with 400 unless it is a well-formed consent id. */
export const ConsentIdParam = (): ParameterDecorator => Param('consentId', new ConsentIdPipe());
