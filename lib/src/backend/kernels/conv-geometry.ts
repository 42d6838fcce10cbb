/**
 * Shared geometry for the convolution gradients: the attributes tfjs passes
 * (strides, pad, dimRoundingMode, and our optional dilations) turned into
 * one NHWC description.
 */
import * as tf from "@tensorflow/tfjs";

export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
}

export interface ConvGradAttrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat?: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  /** Not part of tfjs's gradient attrs (its gradients refuse dilation); accepted here for completeness. */
  dilations?: number | [number, number];
}

export function convGeometry(
  inShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: ConvGradAttrs,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    inShape,
    filterShape,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    "channelsLast",
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    padBottom: info.padInfo.bottom,
    padRight: info.padInfo.right,
  };
}

/**
 * Rows/columns that the forward convolution touches are [-padTop, -padTop + needed):
 * how many of them lie past the image's bottom/right edge (negative: inside it).
 */
export function extents(g: ConvGeometry): { bottom: number; right: number } {
  const neededH = (g.filterHeight - 1) * g.dilationHeight + (g.outHeight - 1) * g.strideHeight + 1;
  const neededW = (g.filterWidth - 1) * g.dilationWidth + (g.outWidth - 1) * g.strideWidth + 1;
  return { bottom: neededH - g.inHeight - g.padTop, right: neededW - g.inWidth - g.padLeft };
}

/** True when the kernel must use the backend's original implementation (NCHW). */
export function isChannelsFirst(attrs: { dataFormat?: string }): boolean {
  return attrs.dataFormat === "NCHW";
}
