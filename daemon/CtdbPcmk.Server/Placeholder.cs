namespace CtdbPcmk.Server;
