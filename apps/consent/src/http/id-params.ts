import { Param, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { ProblemError } from '@silta/platform';
import { CapacityFieldSchema, ConsentIdSchema, StudentIdSchema } from './schemas';

/** Refuses a path parameter with 400 unless it matches its schema, naming the parameter. */
class IdPipe implements PipeTransform<string, string> {
  constructor(
    private readonly name: string,
    private readonly schema: z.ZodType<string>,
  ) {}

  transform(value: string): string {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const message = parsed.error.issues.map((issue) => issue.message).join('; ');
    throw new ProblemError(400, 'invalid_request', `${this.name}: ${message}`, { errors: [{ field: this.name, message }] });
  }
}

/** The `consentId` path parameter, refused with 400 unless it is a well-formed consent id. */
export const ConsentIdParam = (): ParameterDecorator => Param('consentId', new IdPipe('consentId', ConsentIdSchema));

/** The `studentId` path parameter, refused with 400 unless it is a well-formed student id. */
export const StudentIdParam = (): ParameterDecorator => Param('studentId', new IdPipe('studentId', StudentIdSchema));

/** The `field` path parameter of a capacity assessment, refused with 400 unless it is a known field. */
export const CapacityFieldParam = (): ParameterDecorator => Param('field', new IdPipe('field', CapacityFieldSchema));
