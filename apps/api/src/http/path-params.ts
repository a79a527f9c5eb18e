import { Injectable, type PipeTransform } from '@nestjs/common';
import { PROJECT_ID_PATTERN, SYSTEM_PROJECT, TOKEN_ID_PATTERN } from '@ledger/token-domain';
import { ApiError } from './api-error';

/** `:projectId`: a project id, or `_system` (the root tokens' project, readable by root only). */
@Injectable()
export class ProjectIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (value === SYSTEM_PROJECT || PROJECT_ID_PATTERN.test(value)) return value;
    throw ApiError.badRequest('invalid_project_id', 'projectId must match ^[a-z0-9][a-z0-9-]{0,62}$');
  }
}

/** `:tokenId`: anything that is not a token id cannot name an existing token. */
@Injectable()
export class TokenIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (TOKEN_ID_PATTERN.test(value)) return value;
    throw ApiError.notFound(`token ${value.slice(0, 64)} does not exist in this project`);
  }
}
