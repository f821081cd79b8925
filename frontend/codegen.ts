import type { CodegenConfig } from '@graphql-codegen/cli';

// Types for the API contract (../graphql/schema.graphql) and the console's named operations.
const config: CodegenConfig = {
  schema: '../graphql/schema.graphql',
  documents: '../graphql/operations/*.graphql',
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        defaultScalarType: 'unknown',
        scalars: { UUID: 'string', DateTime: 'string', Date: 'string' },
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        skipTypename: false,
        nonOptionalTypename: false,
      },
    },
  },
  silent: false,
};

export default config;
