export { Geometry, type PointsLike, type FloatDType, type SampleOptions, type ToleranceOptions } from './geometry.js';
export { Box, Interval, interval, rectangle, cuboid, box } from './box.js';
export { Disk, disk } from './disk.js';
export { Polygon, polygon } from './polygon.js';
export { TimeDomain, timeDomain, SpaceTime, spaceTime } from './time.js';
