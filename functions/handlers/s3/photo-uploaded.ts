// photo-uploaded: S3's events for objects under uploads/ of the photo bucket, as the photo upload queue delivers them.
import { checkUploadedPhoto } from '#app/complaint-photo-check';
import { readPhotoUploadEvent } from '#contracts/photo-upload-event';
import { lambdaDeps } from '../lambda-deps.ts';
import { logger } from '../observability.ts';
import { lambdaSqsHandler, type RecordHandler } from '../sqs/sqs-handler.ts';

export const handleRecord: RecordHandler = async (record, deps) => {
  for (const key of readPhotoUploadEvent(record.body)) {
    const result = await checkUploadedPhoto(deps, key);
    // A stray object is worth a look (a bug, or someone probing the bucket); the others are routine.
    if (result.outcome === 'unexpected') logger.warn('Photo upload names no awaited photo: deleted', result);
    else logger.info('Photo upload', result);
  }
};

export const handler = lambdaSqsHandler(handleRecord, lambdaDeps);
