/** The anyres geometry lives with the app (src/model/anyres.ts); the converter's tests use it here. */
export * from '../../src/model/anyres.ts';
