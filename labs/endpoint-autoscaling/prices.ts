// What an instance of a SageMaker real-time endpoint costs an hour, on demand, in US East
// (N. Virginia): Amazon SageMaker AI pricing, "Real-Time Inference". ml.m5.xlarge $0.23 is the
// AWS Price List API's rate for usage type USE1-Host:ml.m5.xlarge as read on 2026-06-27 and
// 2026-09-28 by public cost tools (SKU JDZQJFUVUR8SUWHS); the others are the list prices the
// same tools carry for those hosting instances. Checked 2026-11-30. A sample, dated: the checks
// compare days with each other, never against today's bill.

export const PRICES_AS_OF = '2026-11-30';

export const HOURLY_USD: Readonly<Record<string, number>> = {
  'ml.c5.xlarge': 0.204,
  'ml.m5.xlarge': 0.23,
  'ml.g4dn.xlarge': 0.7364,
  'ml.g5.xlarge': 1.408,
};

export function hourlyPrice(instanceType: string): number {
  const price = HOURLY_USD[instanceType];
  if (price === undefined) throw new Error(`No price for ${instanceType} in the lab's price table (prices.ts).`);
  return price;
}
