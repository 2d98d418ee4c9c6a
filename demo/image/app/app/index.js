const _ = require('lodash');
const argv = require('minimist')(process.argv.slice(2));
console.log(_.defaultsDeep({}, argv));
