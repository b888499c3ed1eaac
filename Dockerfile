# The audit-image tool as a container image: the CLI bundle on a slim Node base. Build it from a checkout
# after the set-up (`npx --yes pnpm@10 install`, which builds packages/cli/dist/bundle):
#   docker build -t audit-image .
# and run it on the working directory (options and PATHs as for the CLI; none: ./Dockerfile):
#   docker run --rm -v "$PWD:/src" -w /src audit-image
# bin/audit-image.js handles SIGTERM and SIGINT, so node as PID 1 stops at once on docker stop.
ARG NODE_IMAGE=node:20-slim
FROM ${NODE_IMAGE}
COPY packages/cli/package.json /opt/audit-image/package.json
COPY packages/cli/bin/ /opt/audit-image/bin/
COPY packages/cli/schema/ /opt/audit-image/schema/
COPY packages/cli/dist/bundle/audit-image.cjs /opt/audit-image/dist/bundle/audit-image.cjs
# the shell parser, the package's one dependency (its exact version, from the workspace's install)
COPY node_modules/.pnpm/mvdan-sh@0.10.1/node_modules/mvdan-sh/ /opt/audit-image/node_modules/mvdan-sh/
USER node
WORKDIR /src
ENTRYPOINT ["node", "/opt/audit-image/bin/audit-image.js"]
