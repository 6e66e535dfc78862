import { Module } from '@nestjs/common';
import { ReadApiController } from './read.api.controller';
import { ReadSide } from './read-side';

/** The read side: projections into SQLite read models and the query routes over them. */
@Module({ controllers: [ReadApiController], providers: [ReadSide], exports: [ReadSide] })
export class ReadSideModule {}
