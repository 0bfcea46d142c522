package org.fedklpr.api.objective;

/**
 * What an unsupervised objective sees of a batch beyond its images: the camera-aware proxy of each
 * image this epoch (its pseudo-identity and camera are the proxy's) and the site's proxy memory.
 *
 * @param proxies the proxy of each image of the batch, in batch order
 * @param memory the site's memory of proxies this epoch; objectives read it in
 *        {@link LocalObjective#loss} and may move it in {@link LocalObjective#stepTaken}
 */
public record ProxyBatch(int[] proxies, ProxyMemory memory) {
}
