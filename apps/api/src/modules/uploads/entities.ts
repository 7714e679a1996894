import { Upload } from './upload.entity';

export const UPLOAD_ENTITIES: Function[] = [Upload];
