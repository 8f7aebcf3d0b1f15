namespace CtdbPcmk.Client;
